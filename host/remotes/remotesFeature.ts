/**
 * The `remotes` host feature's handler table (shared/protocol/features/remotesApi.ts,
 * docs/host-api.md): a thin layer over `RemotesService` that names unknown ids and passes the
 * calling connection to `listen`, whose endpoint lives as long as that connection.
 */
import type { HostFeatureTable } from '../hub/hostFeatures.js';
import type { RemotesService } from './remotesService.js';

export function remotesFeature(service: RemotesService): HostFeatureTable<'remotes'> {
  return {
    'host/remotes/list': () => {
      const problem = service.problem;
      const deviceId = service.deviceId;
      return { remotes: service.list(), ...(deviceId ? { deviceId } : {}), ...(problem ? { problem } : {}) };
    },
    'host/remotes/add': async ({ link }) => ({ remote: await service.add(link) }),
    'host/remotes/rename': async ({ remoteId, name }) => ({ remote: await service.rename(remoteId, name) }),
    'host/remotes/remove': async ({ remoteId }) => ({ removed: await service.remove(remoteId) }),
    'host/remotes/connect': async ({ remoteId }) => ({ remote: await service.connect(remoteId) }),
    'host/remotes/disconnect': async ({ remoteId }) => ({ remote: await service.disconnect(remoteId) }),
    'host/remotes/listen': async ({ remoteId, ...raw }, connection) => {
      const e = await service.listen(remoteId, raw, connection.client.id);
      return { url: e.url, environmentId: e.environmentId, banner: e.banner, warnings: [...e.warnings] };
    },
  };
}
