"""Background jobs: e-mail, digests, reminders, checks and re-indexing run outside requests,
in the worker that `pmo serve` starts (or `pmo worker` on its own machines), are retried on
failure and shown to the Project Office manager on the Jobs page (docs/jobs.md)."""
