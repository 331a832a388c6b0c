/**
 * The browser bridge's close codes (shared/protocol/uiBridge.ts), in a module of their own
 * so a page can know them without loading the schema library.
 */

/** Close codes the bridge uses before the socket reaches the hub (4xxx: application range). */
export const UiBridgeCloseCode = {
  /** The first message was not a valid hello. */
  BadHello: 4400,
  /** Wrong token: this page's link is not (or no longer) valid. Not worth retrying. */
  BadToken: 4401,
  /** The environment named in the hello does not exist. */
  UnknownEnvironment: 4404,
  /** No hello within the deadline. */
  HelloTimeout: 4408,
} as const;
