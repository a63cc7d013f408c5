"""Business rules, one module per domain. Every write checks permission, applies the state
machine and records its audit event in the same transaction."""
