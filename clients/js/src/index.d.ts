import type { ManagerOptions, Socket, SocketOptions } from "socket.io-client";

/** A server refusal (`{ok: false, error: {code, message}}`) or the queue's own: QUEUE_FULL, QUEUE_OVERFLOW, EXPIRED, UNCERTAIN. */
export declare class SwitchboardError extends Error {
  constructor(code: string, message?: string);
  readonly code: string;
}

/** What the server answers to a message the queue sent. */
export interface Answer {
  ok: true;
  duplicate?: boolean;
  position?: string;
  [key: string]: unknown;
}

/** A queued message as kept in its store. */
export interface QueueEntry {
  id: string;
  queue: string;
  seq: number;
  event: string;
  payload: Record<string, unknown> & { id: string };
  createdAt: number;
  sentAt?: number;
}

/** Where queued messages live until acknowledged. */
export interface QueueStore {
  load(queue: string): Promise<QueueEntry[]>;
  put(entry: QueueEntry): Promise<void>;
  delete(id: string): Promise<void>;
}

export declare class MemoryStore implements QueueStore {
  load(queue: string): Promise<QueueEntry[]>;
  put(entry: QueueEntry): Promise<void>;
  delete(id: string): Promise<void>;
}

export declare class IndexedDBStore implements QueueStore {
  constructor(options?: { name?: string; indexedDB?: IDBFactory });
  load(queue: string): Promise<QueueEntry[]>;
  put(entry: QueueEntry): Promise<void>;
  delete(id: string): Promise<void>;
}

/** IndexedDB where the platform has it, memory otherwise. */
export declare function defaultStore(): QueueStore;

export interface QueueOptions {
  store?: QueueStore;
  /** The queue's name inside its store (default: the server URL). */
  name?: string;
  /** Most messages kept (1000). */
  maxSize?: number;
  /** When full: "reject" the new message with QUEUE_FULL (default), or "drop-oldest" with QUEUE_OVERFLOW. */
  overflow?: "reject" | "drop-oldest";
  /** Milliseconds after which a message never sent is dropped as EXPIRED (24 h). */
  ttl?: number;
  /** Milliseconds after its first attempt within which a message may be resent (9 min; the server remembers ids for 10). */
  dedupeWindow?: number;
  /** First delay before retrying after no answer or a retryable refusal (500 ms), doubling up to maxRetryDelay (15 s). */
  retryDelay?: number;
  maxRetryDelay?: number;
  now?: () => number;
}

export type QueueEvents = {
  pending: (count: number) => void;
  sent: (entry: QueueEntry, answer: Answer) => void;
  dropped: (entry: QueueEntry, error: SwitchboardError) => void;
};

export declare class OfflineQueue {
  constructor(options?: QueueOptions);
  readonly ready: Promise<void>;
  /** Resolves once every store write made so far has landed. */
  readonly saved: Promise<void>;
  readonly pending: number;
  readonly entries: QueueEntry[];
  send(event: string, payload?: Record<string, unknown>): Promise<Answer>;
  online(sender: (entry: QueueEntry) => Promise<unknown>): void;
  offline(): void;
  on<K extends keyof QueueEvents>(type: K, listener: QueueEvents[K]): () => void;
}

export declare function newId(): string;
export declare const RETRYABLE_CODES: ReadonlySet<string>;

/** A presence member: `id` and the scalar fields the server knows (`name`, `picture`, ...). */
export interface Member {
  id: string;
  [key: string]: unknown;
}

/** The `meta` argument of a room event. */
export interface Meta {
  room: string;
  from: string;
  user?: string;
  id?: string;
  position?: string;
}

export interface HistoryMessage {
  event: string;
  data: unknown;
  position: string;
  timestamp: number;
}

export interface HistoryAnswer {
  ok: true;
  room: string;
  messages: HistoryMessage[];
  head?: string;
  gap: boolean;
  more: boolean;
}

export declare class Room {
  readonly name: string;
  readonly socket: SwitchboardSocket;
  readonly joined: boolean;
  readonly members: Member[];
  join(): Promise<{ ok: true }>;
  leave(): Promise<{ ok: true }>;
  publish(event: string, data?: unknown): Promise<Answer>;
  on<T = unknown>(event: string, handler: (data: T, meta: Meta) => void): () => void;
  history(options?: { since?: string; limit?: number }): Promise<HistoryAnswer>;
  onPresence(listener: (members: Member[]) => void): () => void;
  refreshPresence(): Promise<void>;
}

export interface ConnectOptions extends Partial<ManagerOptions & Omit<SocketOptions, "auth">> {
  /** A fixed token. */
  token?: string;
  /** Asked before every connection and on `auth:expiring`. */
  getToken?: () => string | Promise<string>;
  /**
   * Sent with the token in the CONNECT packet (e.g. `{user: {id, name}}` without authentication),
   * with `presenceDiff: true` (batched presence) unless it says otherwise.
   */
  auth?: Record<string, unknown>;
  queue?: QueueOptions;
  /** How long a queued message waits for its answer before it is sent again (10 s). */
  ackTimeout?: number;
  /** Told of failures that have no caller to reject (token fetch, refresh, rejoin). */
  onError?: (error: unknown) => void;
}

export interface SwitchboardSocket extends Omit<Socket, "send"> {
  /** Queues `payload` (an object; an `id` is added) to be emitted as `event` until acknowledged. Replaces socket.io's `send`. */
  send(event: string, payload?: Record<string, unknown>): Promise<Answer>;
  room(name: string): Room;
  /** This user's id as the server knows it: the token's `sub`, else `auth.user.id`. */
  readonly userId: string | undefined;
  readonly queue: OfflineQueue;
  readonly pending: number;
}

export declare function connect(url: string, options?: ConnectOptions): SwitchboardSocket;

/** Where a `stream:gap` says the stream skipped messages that are no longer kept. */
export interface StreamGap {
  room: string;
  from: string;
  head: string;
  message: string;
}

/** The part of the WHATWG EventSource that stream() uses (the browser's, or e.g. the `eventsource` package's). */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((event: any) => void) | null;
  onerror: ((event: any) => void) | null;
  addEventListener(type: string, listener: (event: { data: string; lastEventId: string }) => void): void;
  close(): void;
}

export interface StreamOptions {
  /** The server's base URL (default: the page's origin). */
  url?: string;
  /** The endpoint's path (`/sse`). */
  path?: string;
  /** Event names passed to `onEvent`. */
  events?: string[];
  /** A fixed token (sent as `?token=`). */
  token?: string;
  /** Asked before every stream the client opens: the first, after `auth:expired`, after a refused reconnection. */
  getToken?: () => string | Promise<string>;
  /** Where to resume from (an id the stream handed out earlier). */
  lastEventId?: string;
  withCredentials?: boolean;
  onEvent?: <T = unknown>(event: string, data: T, meta: { id: string }) => void;
  onGap?: (gap: StreamGap) => void;
  onOpen?: () => void;
  /** Failures: a token that could not be had, or a refusal that ends the stream (`SwitchboardError` with the server's code). */
  onError?: (error: unknown) => void;
  /** First delay before opening again after a refusal (1 s), doubling up to maxRetryDelay (30 s). */
  retryDelay?: number;
  maxRetryDelay?: number;
  /** The EventSource class (default: the platform's). */
  EventSource?: new (url: string, init?: { withCredentials?: boolean }) => EventSourceLike;
  /** Used to learn why a stream was refused (default: the platform's fetch). */
  fetch?: typeof fetch;
}

export interface RoomStream {
  readonly lastEventId: string;
  readonly closed: boolean;
  on<T = unknown>(event: string, handler: (event: string, data: T, meta: { id: string }) => void): () => void;
  close(): void;
}

/** Follows rooms over Server-Sent Events, reopening with a fresh token on `auth:expired`. */
export declare function stream(rooms: string | string[], options?: StreamOptions): RoomStream;

/** One other member of a call as this client sees it. */
export interface CallPeer {
  id: string;
  /** Whether this side rolls back its own offer when offers cross (the smaller user id is). */
  polite: boolean;
  /** The member's media, once a track arrived. */
  stream: MediaStream | null;
  connectionState: RTCPeerConnectionState;
  /** Offers this side ignored because its own was pending (impolite side only). */
  ignoredOffers: number;
  /** ICE restarts this side made (failed, disconnected too long, not up in time, or asked). */
  restarts: number;
  pc: RTCPeerConnection;
}

export type CallEvents = {
  peer: (peer: CallPeer) => void;
  track: (peer: CallPeer) => void;
  state: (peer: CallPeer) => void;
  leave: (id: string) => void;
  iceservers: (iceServers: RTCIceServer[]) => void;
  error: (error: unknown) => void;
};

export interface CallOptions {
  /** The local media: a stream, or a function opening one (default: getUserMedia with audio and video, stopped on hang-up). */
  media?: MediaStream | (() => Promise<MediaStream>);
  /** This user's id (default: the socket's `userId`). */
  userId?: string;
  /** Fixed ICE servers; by default they come from the server (`turn:credentials`) and are renewed before they expire. */
  iceServers?: RTCIceServer[];
  /** More of the RTCPeerConnection configuration (e.g. `iceTransportPolicy: "relay"`). */
  configuration?: RTCConfiguration;
  /** Ask for an SFU token when the call is full (true). */
  sfuToken?: boolean;
  /** Milliseconds a connection may stay "disconnected" before ICE restarts (5000). */
  disconnectedTimeout?: number;
  /** Milliseconds a new or restarted connection has to come up before ICE restarts again (10 000). */
  connectTimeout?: number;
  RTCPeerConnection?: typeof RTCPeerConnection;
  onPeer?: CallEvents["peer"];
  onTrack?: CallEvents["track"];
  onState?: CallEvents["state"];
  onLeave?: CallEvents["leave"];
  onIceServers?: CallEvents["iceservers"];
  onError?: CallEvents["error"];
}

export interface Call {
  readonly room: string;
  readonly userId: string;
  readonly localStream: MediaStream;
  readonly peers: CallPeer[];
  readonly iceServers: RTCIceServer[];
  readonly ended: boolean;
  on<K extends keyof CallEvents>(type: K, listener: CallEvents[K]): () => void;
  restartIce(id?: string): void;
  hangUp(): Promise<void>;
}

/** What a `CALL_FULL` refusal carries besides its code. */
export interface CallFullError extends SwitchboardError {
  limit?: number;
  sfu?: boolean;
  /** A token for the SFU (LiveKit) room of the same name, when the server hands them out. */
  sfuToken?: { token: string; expiresAt: number };
}

/** Joins a call room and keeps a mesh of peer connections with its other members. */
export declare function call(room: Room, options?: CallOptions): Promise<Call>;
