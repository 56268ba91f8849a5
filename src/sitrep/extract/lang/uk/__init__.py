"""Ukrainian extraction resources (geoparse.yaml)."""
