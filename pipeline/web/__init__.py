"""The committee web app: `daihoi serve` (see README, "Web app"); `pipeline.web.app.create_app`
builds it."""
