import { type LocalPortVariable } from './localPorts';
import { AppError } from '../../core/errors/AppError';

/** The one line a user sees for a busy port: which port, which variable moves it. */
export function portInUseMessage(port: number, variable: LocalPortVariable): string {
  return `port ${port} is in use (${variable}); stop what uses it or set ${variable}=<free port>`;
}

/**
 * For `.catch()` after a listen: a bare EADDRINUSE (or EACCES, e.g. a port below 1024) becomes an error
 * naming the port and its variable; anything else passes through unchanged.
 */
export function explainListenError(port: number, variable: LocalPortVariable): (err: unknown) => never {
  return (err: unknown) => {
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'EADDRINUSE') throw new AppError('CONFIG', portInUseMessage(port, variable), { cause: err });
    if (code === 'EACCES')
      throw new AppError('CONFIG', `port ${port} may not be opened by this user (${variable}); set ${variable}=<port above 1023>`, {
        cause: err,
      });
    throw err;
  };
}
