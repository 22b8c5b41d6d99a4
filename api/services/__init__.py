"""What the service does, apart from HTTP: users, uploads, planning, jobs, the demo, the audit."""
