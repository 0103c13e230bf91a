// The mesh plugin's contract: the `mesh` service, the `mesh` hook group other plugins tap
// to have a say in instance selection (breaker's outlier ejection), the events mesh emits,
// and their declaration in the kernel's Services, PluginHookGroups and EventMap. Other
// plugins import these types only (type-only imports, erased at run time).
import type { Exchange, SyncWaterfallHook } from '@understudy/plugin-sdk';
import type { ChangeSource, MeshStore } from './store.js';
import type { Instance } from './topology/model.js';

export type { ChangeParticipant, ChangeSource, InstanceSource, MeshStore, PreparedChange } from './store.js';

/** One instance of a mesh service: `<service>-<n>`, its version label, what discovery registers. */
export type MeshInstance = Readonly<Instance>;

export interface MeshHooks {
  /**
   * Which instances of `ex.service` may serve `ex`. Called at `Stage.Route` when the
   * service has two or more instances and no earlier tap pinned one (`tags.instance`).
   * Each tap gets what the previous one left and returns it, a subset (a veto) or a
   * single instance (a choice) — never a changed array: build a new one. Mesh then picks
   * among what is left by `instanceSelection`; an empty list vetoes nothing (every
   * instance again, as Envoy's panic threshold). Runs for every such call: return the
   * candidates as they are when there is nothing to say.
   */
  selectInstance: SyncWaterfallHook<[candidates: readonly MeshInstance[], ex: Exchange], readonly MeshInstance[]>;
}

export interface MeshServiceChangedEvent {
  service: string;
  source: ChangeSource;
}

export interface MeshTopologyChangedEvent {
  source: ChangeSource;
  /** Services in the new topology. */
  services: number;
  added: string[];
  removed: string[];
  changed: string[];
}

export interface MeshLoopDetectedEvent {
  /** Id of the originating request (its trace id, else its exchange id). */
  origin: string;
  /** The service chain down to the call that hit the hop limit. */
  path: string[];
  /** Its repeating part, e.g. `["a", "b", "a"]`. */
  cycle: string[];
}

declare module '@understudy/kernel' {
  interface Services {
    mesh: MeshStore;
  }
  interface PluginHookGroups {
    mesh: MeshHooks;
  }
  interface EventMap {
    'mesh.serviceAdded': MeshServiceChangedEvent;
    'mesh.serviceRemoved': MeshServiceChangedEvent;
    'mesh.topologyChanged': MeshTopologyChangedEvent;
    'mesh.loopDetected': MeshLoopDetectedEvent;
  }
}
