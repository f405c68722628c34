"""`python -m inspector_app` is the same as the `inspector-app` command."""

from inspector_app.launcher import main

raise SystemExit(main())
