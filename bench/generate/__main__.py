"""`python -m bench.generate`: see `bench.generate.cli`."""

from bench.generate.cli import main

raise SystemExit(main())
