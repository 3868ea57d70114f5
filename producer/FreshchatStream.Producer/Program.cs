using FreshchatStream.Producer.Commands;

return await FreshchatStreamCli.RunAsync(args);
