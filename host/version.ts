/** The host's version, shown in host/info, the welcome record and `codex-host --version`. */
export const HOST_VERSION = '0.1.0';
