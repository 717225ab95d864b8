"""The client's own data: download everything (ZIP: PDF summary, CSV per record kind, FHIR Bundle)."""
