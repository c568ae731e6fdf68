"""The Django admin is not part of the workbench UI: analysts work in the app,
where workspace isolation and the audit trail apply. No models are registered."""
