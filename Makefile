# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
.PHONY: run test test-core test-server lint setup bench screenshots

run:
	@scripts/dev.sh run

test:
	@scripts/dev.sh test

test-core:
	@scripts/dev.sh test-core

test-server:
	@scripts/dev.sh test-server

lint:
	@scripts/dev.sh lint

setup:
	@scripts/dev.sh setup

bench:
	@SIZE=$(SIZE) scripts/dev.sh bench

screenshots:
	@scripts/dev.sh screenshots
