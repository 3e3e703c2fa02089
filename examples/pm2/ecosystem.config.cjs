module.exports = {
  apps: [
    {
      name: "asyncz-pm2-example",
      script: "./app.mjs",
      exec_mode: "cluster",
      instances: 4,
      kill_timeout: 1600,
      listen_timeout: 1000,
    },
  ],
};
