"""Users, roles, permissions, review (teams arrive later); identity today."""
