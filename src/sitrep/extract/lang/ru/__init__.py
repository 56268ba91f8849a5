"""Russian extraction resources (geoparse.yaml)."""
