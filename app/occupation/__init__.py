"""Occupational assessment and the care cycle: profile, rated activities, activity diary, interests,
care plan, review and discharge summary (docs/occupation.md)."""
