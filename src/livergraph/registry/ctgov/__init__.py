"""ClinicalTrials.gov API v2: import records into data/, fetch searches."""
