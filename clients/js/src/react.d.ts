import type { Call, CallOptions, ConnectOptions, Member, Room, StreamGap, StreamOptions, SwitchboardSocket, CallPeer } from "./index.js";

/** Connects while mounted; a new url or token connects again. */
export declare function useSocket(url: string | null | undefined, options?: ConnectOptions): {
  socket: SwitchboardSocket | null;
  connected: boolean;
  /** Messages waiting in the offline queue. */
  pending: number;
};

/** Joins room `name` while mounted and leaves on unmount. */
export declare function useRoom(socket: SwitchboardSocket | null, name: string | null | undefined): {
  room: Room | null;
  joined: boolean;
  error: unknown;
};

/** The live presence list of a room. */
export declare function usePresence(room: Room | null): Member[];

/** Follows rooms over SSE while mounted; `onMessage` gets each of `options.events` (default `["notification"]`). */
export declare function useSSE<T = unknown>(
  rooms: string | string[] | null | undefined,
  onMessage: (data: T, event: string, meta: { id: string }) => void,
  options?: Omit<StreamOptions, "onEvent">,
): { open: boolean; gap: StreamGap | null; error: unknown };

/** Takes part in call room `name` while mounted and hangs up on unmount. */
export declare function useCall(socket: SwitchboardSocket | null, name: string | null | undefined, options?: CallOptions): {
  call: Call | null;
  peers: CallPeer[];
  error: unknown;
};
