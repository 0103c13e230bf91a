// placeholder: the deploy plugin is being written
export {};
