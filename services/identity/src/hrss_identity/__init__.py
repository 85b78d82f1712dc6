"""Identity service: accounts; later QR and password login sessions."""
