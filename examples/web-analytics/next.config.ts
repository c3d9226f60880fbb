import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // This app sits inside the library's repository, which has its own lockfile: build from this folder only.
  turbopack: { root: import.meta.dirname },
  outputFileTracingRoot: import.meta.dirname,
};

export default nextConfig;
