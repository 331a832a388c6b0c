/**
 * The hub's per-client request bucket: the shared token bucket (shared/util/tokenBucket.ts) with
 * the argument order the hub calls it with. The refill math lives only in the shared module.
 */
import { TokenBucket as SharedTokenBucket } from '../../shared/util/tokenBucket.js';

export class TokenBucket extends SharedTokenBucket {
  constructor(ratePerSecond: number, burst: number, now: () => number = Date.now) {
    super({ burst, perSecond: ratePerSecond }, now);
  }
}
