/** A stable name per Graph route for request statistics ('GET /users/delta', 'GET /users/{id}', ...). */
export function graphRouteName(method: string, pathname: string): string {
  const path = pathname.replace(/^\/v1\.0/, '').replace(/\/microsoft\.graph\.delta$/, '/delta');
  if (path === '/users/delta' || path === '/groups/delta') return `${method} ${path}`;
  if (path === '/users/$count' || path === '/users/%24count') return `${method} /users/$count`;
  if (/^\/users\/[^/]+$/.test(path)) return `${method} /users/{id}`;
  if (/^\/users\/[^/]+\/presence$/.test(path)) return `${method} /users/{id}/presence`;
  if (/^\/users\/[^/]+\/calendarView$/.test(path)) return `${method} /users/{id}/calendarView`;
  if (/^\/users\/[^/]+\/events\/[^/]+$/.test(path)) return `${method} /users/{id}/events/{id}`;
  if (/^\/communications\/presences\/[^/]+$/.test(path)) return `${method} /communications/presences/{id}`;
  const outlook =
    /^\/users\/[^/]+\/(contacts\/delta|contactFolders|photo(?:\/\$value)?|contactFolders\/[^/]+(?:\/(childFolders|contacts\/delta))?)$/.exec(
      path,
    );
  if (outlook) return `${method} /users/{id}/${outlook[1]!.replace(/^contactFolders\/[^/]+/, 'contactFolders/{id}')}`;
  if (/^\/groups\/[^/]+$/.test(path)) return `${method} /groups/{id}`;
  if (/^\/directory\/deletedItems\/(?!microsoft\.graph\.user$)[^/]+\/restore$/.test(path))
    return `${method} /directory/deletedItems/{id}/restore`;
  if (/^\/directory\/deletedItems\/(?!microsoft\.graph\.user$)[^/]+$/.test(path)) return `${method} /directory/deletedItems/{id}`;
  const application = /^\/applications(\/[^/()]+|\(appId=(?:'|%27)[^/]*\))(?:\/(?:microsoft\.graph\.)?(addKey|removeKey))?$/.exec(path);
  if (application) {
    const address = application[1]!.startsWith('/') ? '/applications/{id}' : "/applications(appId='{appId}')";
    return `${method} ${address}${application[2] ? `/${application[2]}` : ''}`;
  }
  if (/^\/subscriptions\/[^/]+\/reauthorize$/.test(path)) return `${method} /subscriptions/{id}/reauthorize`;
  if (/^\/subscriptions\/[^/]+$/.test(path)) return `${method} /subscriptions/{id}`;
  const members = /^\/groups\/[^/]+\/(transitiveMembers|members|transitiveMemberOf)(\/.*)?$/.exec(path);
  if (members) return `${method} /groups/{id}/${members[1]}${members[2] ?? ''}`;
  const userGroups = /^\/users\/[^/]+\/(transitiveMemberOf)(\/.*)?$/.exec(path);
  if (userGroups) return `${method} /users/{id}/${userGroups[1]}${userGroups[2] ?? ''}`;
  return `${method} ${path}`;
}
