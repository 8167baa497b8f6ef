import { type IncomingMessage, type ServerResponse } from 'node:http';
import type { GraphSandbox } from './GraphSandbox';

/**
 * One part of the control API: answers and returns true when the path is one of its routes, false to let the
 * next part try. handleControlRequest maps the sandbox's errors for all of them.
 */
export type ControlRoute = (sandbox: GraphSandbox, req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
