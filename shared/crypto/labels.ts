/** Protocol labels of remote-protocol.md (§1, §3, §4). ASCII; concatenated without separators. */
import { utf8 } from '../util/encoding.js';

export const L = 'codex-remote-v1';
export const LABEL_REGISTER = utf8(`${L} register`);
export const LABEL_HOST = utf8(`${L} host`);
export const LABEL_DEVICE = utf8(`${L} device`);
export const LABEL_PAIR_ID = utf8(`${L} pair-id`);
export const LABEL_C2H = utf8(`${L} c2h`);
export const LABEL_H2C = utf8(`${L} h2c`);
export const LABEL_L = utf8(L);
