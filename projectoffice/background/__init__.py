"""Work started from a page that runs as a background job: plan imports, levelling and large
file imports. The upload is stored, a job does the work all-or-nothing, and the person who
started it waits on a status page that refreshes itself until the result or the error shows
(docs/jobs.md)."""
