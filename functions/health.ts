import { app } from '@azure/functions';
import { healthHandler } from '../shared/app/healthHandler';

// Liveness: anonymous and without detail (see healthHandler); it touches no storage, so it answers while they are down.
app.http('health', { route: 'health', methods: ['GET', 'HEAD'], authLevel: 'anonymous', handler: healthHandler });
