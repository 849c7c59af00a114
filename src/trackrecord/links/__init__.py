"""`trackrecord links`: check that the URLs records cite still answer, and keep archived copies.

- `citations`: which records cite which URL, and in which field.
- `checker`: an asynchronous, polite HTTP checker that turns every outcome into a status.
- `cache`: results kept under build/cache/links/ so a re-run only rechecks old ones.
- `archive`: Wayback Machine snapshots written into `source.archive_url`.
- `run`: the command itself, tying these together.
"""
