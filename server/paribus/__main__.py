import sys

from paribus.process import start_quickly

start_quickly()
if sys.argv[1:] == ["lsp"]:
    # How editors start the server: straight to it, without building the command line.
    from paribus.lsp.server import serve

    serve()
    raise SystemExit(0)

from paribus.cli import main  # noqa: E402

raise SystemExit(main())
