from paribus.cli import main

raise SystemExit(main())
