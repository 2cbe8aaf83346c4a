"""The office shell: the home page, dashboards, sign-in and account pages, and the navigation
every page shows. It sits above every app; the shared page helpers stay in `web`."""
