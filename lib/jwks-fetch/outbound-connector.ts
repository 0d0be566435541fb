/**
 * The socket factory for outbound fetches: undici's own connector (TLS,
 * connect timeout) with the outbound policy's `lookup`, plus a check of the
 * peer address once connected, so a literal address that slipped past the
 * URL check or an unexpected resolver path still cannot reach a forbidden
 * address.
 */
import { buildConnector } from "undici";
import { checkConnectedAddress, outboundLookup, type OutboundPolicyOptions } from "./outbound-policy";

/**
 * An undici `connect` function enforcing the outbound policy, with a connect
 * timeout covering DNS, TCP and the TLS handshake.
 *
 * @example
 * const agent = new Agent({ connect: outboundConnector({ allow, connectTimeoutMs: 1000 }) });
 */
export function outboundConnector(options: OutboundPolicyOptions & { connectTimeoutMs: number }): buildConnector.connector {
  const connect = buildConnector({
    timeout: options.connectTimeoutMs,
    lookup: outboundLookup(options),
  });
  return (connectOptions, callback) => {
    connect(connectOptions, (error, socket) => {
      if (error || !socket) {
        callback(error ?? new Error("no socket"), null);
        return;
      }
      try {
        checkConnectedAddress(connectOptions.hostname, socket.remoteAddress ?? "", options);
      } catch (refusal) {
        socket.destroy();
        callback(refusal as Error, null);
        return;
      }
      callback(null, socket);
    });
  };
}
