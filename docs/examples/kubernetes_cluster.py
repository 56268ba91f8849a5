"""The same cluster as kubernetes-cluster.yaml, from Python (dask-kubernetes' KubeCluster), then
the same batch run as `sitrep batch --scheduler`. Not run in tests; needs `pip install dask-kubernetes`
and a kubeconfig with the Dask operator installed."""

from dask_kubernetes.operator import KubeCluster

from sitrep import batch

if __name__ == "__main__":
    cluster = KubeCluster(
        name="sitrep-backfill",
        image="registry.example.org/sitrep:latest",
        n_workers=32,
        resources={"requests": {"cpu": "1", "memory": "1.2Gi"}, "limits": {"cpu": "1", "memory": "1.5Gi"}},
        worker_command="dask-worker --nthreads 1",
        env={"SITREP_HOME": "/sitrep-home"},
    )
    try:
        report = batch.run(["/archive/reports"], "/archive/shards", scheduler=cluster.scheduler_address)
        print(f"{report.documents} documents, {len(report.errors)} errors, {len(report.failed)} partitions failed")
    finally:
        cluster.close()
