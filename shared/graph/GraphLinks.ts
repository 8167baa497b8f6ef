import { AppError } from '../core/errors/AppError';
import { type DeltaStart } from './DirectoryReader';

/**
 * Graph's links (nextLink, deltaLink) for the readers of one connection. Graph's links are absolute. The SDK only
 * strips the host from https URLs (an http sandbox link would be appended to the base URL), so links become paths
 * below the version root; the query string passes through the SDK's parser with its values untouched. Only links
 * under our own root are followed.
 */
export class GraphLinks {
  constructor(private readonly versionRoot: string) {}

  /** The path below the version root, or undefined for a link elsewhere. */
  pathOf(link: string): string | undefined {
    return link.startsWith(`${this.versionRoot}/`) ? link.slice(this.versionRoot.length) : undefined;
  }

  /** A link Graph just sent (`name` says which, for the message): elsewhere than our root, it is a bug. */
  followedPath(link: string, name = 'nextLink'): string {
    const path = this.pathOf(link);
    if (path === undefined) throw new AppError('INTERNAL', `Graph returned a ${name} outside ${this.versionRoot}`);
    return path;
  }

  /**
   * One delta round from `initialPath` or a saved link, a page at a time as the caller asks for it (memory stays
   * flat for any size); `readPage` reads and parses the page at a path.
   */
  async *deltaRound<Page extends { nextLink?: string | undefined }>(
    start: DeltaStart,
    initialPath: string,
    readPage: (path: string) => Promise<Page>,
  ): AsyncIterable<Page> {
    let path: string;
    if (start.kind === 'initial') {
      path = initialPath;
    } else {
      const saved = this.pathOf(start.url);
      // A link saved for another endpoint (the tenant moved national cloud, the sandbox moved) cannot resume.
      if (saved === undefined)
        throw new AppError('DELTA_TOKEN_EXPIRED', `the saved delta link is not under ${this.versionRoot}; a full round is needed`);
      path = saved;
    }
    for (;;) {
      const page = await readPage(path);
      yield page;
      if (!page.nextLink) return;
      path = this.followedPath(page.nextLink);
    }
  }
}
