"""Forms check shape only (required, lengths, formats); rules belong to the services."""
