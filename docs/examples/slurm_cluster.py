"""`sitrep batch` on a SLURM cluster through dask-jobqueue's SLURMCluster. Not run in tests; needs
`pip install dask-jobqueue` on the login node and sitrep installed (same path) on the compute nodes,
with the inputs and the output directory on a shared file system.

Run it on the login node:  python slurm_cluster.py /scratch/archive/reports /scratch/shards
Or start the cluster here and, from another shell, use its address:
    sitrep batch /scratch/archive/reports --out /scratch/shards --scheduler tcp://LOGIN-NODE:8786
"""

import sys

from dask_jobqueue import SLURMCluster
from distributed import Client

from sitrep import batch

if __name__ == "__main__":
    inputs, out = sys.argv[1], sys.argv[2]
    cluster = SLURMCluster(
        queue="compute",
        account="my-project",
        cores=16,              # one job per node: 16 single-threaded worker processes
        processes=16,
        memory="24GB",         # 16 x ~830 MB peak RSS measured per worker, plus headroom
        walltime="04:00:00",
        job_script_prologue=["source /shared/sitrep/.venv/bin/activate", "export SITREP_HOME=/shared/sitrep-home"],
        scheduler_options={"port": 8786},
    )
    cluster.scale(jobs=8)      # 8 nodes = 128 workers
    with Client(cluster):
        report = batch.run([inputs], out, scheduler=cluster.scheduler_address)
    print(f"{report.documents} documents, {len(report.errors)} errors, {len(report.failed)} partitions failed")
    cluster.close()
