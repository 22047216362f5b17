import sys

from troubleshoot_snippets.doctor.run import main

sys.exit(main())
