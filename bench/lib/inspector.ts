/** The parts of a V8 `.cpuprofile` the profilers read. */
export type Profile = {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    children?: number[];
  }[];
  samples: number[];
};

type Target = { id: string; webSocketDebuggerUrl: string };

/** One Chrome DevTools Protocol connection to a Worker in workerd, for its V8 profiler. */
export class Inspector {
  readonly #socket: WebSocket;
  #nextId = 1;
  readonly #pending = new Map<number, (result: unknown) => void>();

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
      if (message.id !== undefined) this.#pending.get(message.id)?.(message.result);
      this.#pending.delete(message.id ?? -1);
    });
  }

  /** A connection to every Worker workerd serves on this inspector port, by Worker name. */
  static async connectAll(port: number): Promise<{ worker: string; inspector: Inspector }[]> {
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as Target[];
    return Promise.all(
      targets.map(async (target) => ({
        worker: target.id,
        inspector: await Inspector.#connect(target.webSocketDebuggerUrl),
      })),
    );
  }

  static async #connect(url: string): Promise<Inspector> {
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => {
      socket.addEventListener("open", resolve, { once: true });
      socket.addEventListener("error", reject, { once: true });
    });
    return new Inspector(socket);
  }

  #send(method: string, params: object = {}): Promise<unknown> {
    const id = this.#nextId++;
    this.#socket.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve) => this.#pending.set(id, resolve));
  }

  async startProfiling(intervalMicros: number): Promise<void> {
    await this.#send("Profiler.enable");
    await this.#send("Profiler.setSamplingInterval", { interval: intervalMicros });
    await this.#send("Profiler.start");
  }

  async stopProfiling(): Promise<Profile> {
    const { profile } = (await this.#send("Profiler.stop")) as { profile: Profile };
    return profile;
  }

  close(): void {
    this.#socket.close();
  }
}
