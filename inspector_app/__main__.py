"""`python -m inspector_app` is the same as the `inspector-app` command."""

from inspector_app.cli.main import main

raise SystemExit(main())
