using EventChat.LoadTest;

return await Commands.RunAsync(args);
