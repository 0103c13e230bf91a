// Types of the mesh plugin the cluster reads (type-only: erased at run time; mesh is a
// dependency, so it is always loaded with the cluster).
import type { MeshStore } from '@understudy/plugin-mesh';

export type { MeshStore, InstanceSource, MeshInstance } from '@understudy/plugin-mesh';
/** The mesh's compiled topology (services, endpoints, calls). */
export type Topology = MeshStore['topology'];
export type MeshService = ReturnType<MeshStore['get']>;
