// The header that names the node a request is for, by its id in hex. A process hosting virtual nodes
// (VNODES=v) serves each under its id behind one port; without the header a request is for its first.
// A process with one node reads no header, so a node of the lab, or a student's, need not know it.
export const VNODE_HEADER = 'x-chord-node'
