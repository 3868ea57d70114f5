using FreshchatStream.Sandbox.Cli;

return await SandboxCli.RunAsync(args);
