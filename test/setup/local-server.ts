// Placeholder until the local server lands: provides nothing yet.
export default function setup() {}
