import { app } from '@azure/functions';
import { getServices } from '../shared/app/getServices';
import { ConsoleGate } from '../shared/console/consoleGate';
import { consoleHandler, consoleRoutes } from '../shared/console/consoleRoutes';
import { consoleSettingsFromEnv } from '../shared/console/consoleSettings';

// The operator's console (HTML under /api/console). Anonymous to the host: a browser must never carry a
// function key, so the console authenticates in code (App Service Authentication, CONSOLE_AUTH=appService).
// Explicit routes, one per page, rather than a `console/{*path}` catch-all: each is visible in the portal.
let gate: ConsoleGate | undefined;
// Read at the first request: a bad CONSOLE_* setting is logged and fails the console's routes (500), not the whole host.
const consoleGate = () => (gate ??= new ConsoleGate(consoleSettingsFromEnv(process.env)));

for (const route of consoleRoutes) {
  app.http(route.name, {
    route: route.route,
    methods: route.methods,
    authLevel: 'anonymous',
    handler: consoleHandler(route, getServices, consoleGate),
  });
}
