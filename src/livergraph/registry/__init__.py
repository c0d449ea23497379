"""Registry records (ClinicalTrials.gov, WHO ICTRP): import, fetch, snapshots."""
