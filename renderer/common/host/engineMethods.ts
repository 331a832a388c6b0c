/**
 * The engine methods the renderer calls, each typed from the generated app-server bindings
 * (shared/protocol/appServer, docs/engine.md §2). The experimental bindings are used because
 * the renderer initializes with `experimentalApi: true` (it needs `initialTurnsPage`). Adding
 * a method here is the one place a front end widens what it uses of the engine.
 */
import type { InitializeParams } from '../../../shared/protocol/appServer/experimental/InitializeParams';
import type { InitializeResponse } from '../../../shared/protocol/appServer/experimental/InitializeResponse';
import type { FsReadDirectoryParams } from '../../../shared/protocol/appServer/experimental/v2/FsReadDirectoryParams';
import type { FsReadDirectoryResponse } from '../../../shared/protocol/appServer/experimental/v2/FsReadDirectoryResponse';
import type { FsReadFileParams } from '../../../shared/protocol/appServer/experimental/v2/FsReadFileParams';
import type { FsReadFileResponse } from '../../../shared/protocol/appServer/experimental/v2/FsReadFileResponse';
import type { ModelListParams } from '../../../shared/protocol/appServer/experimental/v2/ModelListParams';
import type { ModelListResponse } from '../../../shared/protocol/appServer/experimental/v2/ModelListResponse';
import type { ThreadListParams } from '../../../shared/protocol/appServer/experimental/v2/ThreadListParams';
import type { ThreadListResponse } from '../../../shared/protocol/appServer/experimental/v2/ThreadListResponse';
import type { ThreadResumeParams } from '../../../shared/protocol/appServer/experimental/v2/ThreadResumeParams';
import type { ThreadResumeResponse } from '../../../shared/protocol/appServer/experimental/v2/ThreadResumeResponse';
import type { ThreadStartParams } from '../../../shared/protocol/appServer/experimental/v2/ThreadStartParams';
import type { ThreadStartResponse } from '../../../shared/protocol/appServer/experimental/v2/ThreadStartResponse';
import type { ThreadTurnsListParams } from '../../../shared/protocol/appServer/experimental/v2/ThreadTurnsListParams';
import type { ThreadTurnsListResponse } from '../../../shared/protocol/appServer/experimental/v2/ThreadTurnsListResponse';
import type { ThreadUnsubscribeParams } from '../../../shared/protocol/appServer/experimental/v2/ThreadUnsubscribeParams';
import type { ThreadUnsubscribeResponse } from '../../../shared/protocol/appServer/experimental/v2/ThreadUnsubscribeResponse';
import type { TurnInterruptParams } from '../../../shared/protocol/appServer/experimental/v2/TurnInterruptParams';
import type { TurnInterruptResponse } from '../../../shared/protocol/appServer/experimental/v2/TurnInterruptResponse';
import type { TurnStartParams } from '../../../shared/protocol/appServer/experimental/v2/TurnStartParams';
import type { TurnStartResponse } from '../../../shared/protocol/appServer/experimental/v2/TurnStartResponse';
import type { TurnSteerParams } from '../../../shared/protocol/appServer/experimental/v2/TurnSteerParams';
import type { TurnSteerResponse } from '../../../shared/protocol/appServer/experimental/v2/TurnSteerResponse';

/** method → { params, result } for every engine request the renderer sends. */
export interface EngineMethods {
  initialize: { params: InitializeParams; result: InitializeResponse };
  'thread/list': { params: ThreadListParams; result: ThreadListResponse };
  'thread/start': { params: ThreadStartParams; result: ThreadStartResponse };
  'thread/resume': { params: ThreadResumeParams; result: ThreadResumeResponse };
  'thread/turns/list': { params: ThreadTurnsListParams; result: ThreadTurnsListResponse };
  'thread/unsubscribe': { params: ThreadUnsubscribeParams; result: ThreadUnsubscribeResponse };
  'turn/start': { params: TurnStartParams; result: TurnStartResponse };
  'turn/steer': { params: TurnSteerParams; result: TurnSteerResponse };
  'turn/interrupt': { params: TurnInterruptParams; result: TurnInterruptResponse };
  'model/list': { params: ModelListParams; result: ModelListResponse };
  'fs/readFile': { params: FsReadFileParams; result: FsReadFileResponse };
  'fs/readDirectory': { params: FsReadDirectoryParams; result: FsReadDirectoryResponse };
}

export type EngineMethod = keyof EngineMethods;
export type EngineParams<M extends EngineMethod> = EngineMethods[M]['params'];
export type EngineResult<M extends EngineMethod> = EngineMethods[M]['result'];

/** What stores need to talk to the engine: one typed request function. */
export interface EngineRequester {
  request<M extends EngineMethod>(method: M, params: EngineParams<M>): Promise<EngineResult<M>>;
}
