using FreshchatStream.Consumers.Commands;

return await LanderCli.RunAsync(args);
