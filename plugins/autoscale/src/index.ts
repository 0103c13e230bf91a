// placeholder: the autoscale plugin is being written
export {};
