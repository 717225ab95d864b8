"""The therapist's optional daily email digest of unread homework notices."""
