-- Renacer's language server in Neovim: `:luafile /path/to/renacer/examples/neovim/renacer.lua`
-- (or `dofile` it from your init.lua). Works with Neovim 0.7 and later.
-- Diagnostics for failed syscalls, hovers, and CodeLens on the lines a trace
-- names. With no `traceFile` the server takes the newest trace under
-- .renacer/ of the root and follows new ones as runs finish.
local here = debug.getinfo(1, 'S').source:sub(2):match('(.*/)') or './'
local renacer = vim.env.RENACER_JS or (here .. '../../bin/renacer.js')

local client = vim.lsp.start_client({
  name = 'renacer',
  cmd = { 'node', renacer, 'lsp' },
  root_dir = vim.fn.getcwd(),
  init_options = {
    codeLens = true,
    -- traceFile = vim.fn.getcwd() .. '/.renacer/trace.jsonl.gz',  -- pin one trace
  },
  on_attach = function(_, buf)
    -- Lenses are pulled by the client: refresh them now, and when entering the buffer or idling.
    vim.lsp.codelens.refresh()
    vim.api.nvim_create_autocmd({ 'BufEnter', 'CursorHold', 'InsertLeave' }, {
      buffer = buf,
      callback = function() vim.lsp.codelens.refresh() end,
    })
  end,
})

local function attach(buf)
  if client then vim.lsp.buf_attach_client(buf, client) end
end
vim.api.nvim_create_autocmd('BufReadPost', {
  pattern = { '*.c', '*.h', '*.cc', '*.cpp', '*.hpp', '*.rs', '*.go', '*.zig', '*.py' },
  callback = function(args) attach(args.buf) end,
})
-- Load another trace: :RenacerLoadTrace path/to/trace.jsonl.gz
vim.api.nvim_create_user_command('RenacerLoadTrace', function(opts)
  local c = client and vim.lsp.get_client_by_id(client)
  if c then c.request('workspace/executeCommand', { command = 'renacer.loadTrace', arguments = { vim.fn.fnamemodify(opts.args, ':p') } }, function() end) end
end, { nargs = 1, complete = 'file' })
-- Compare two runs (the annotations become deltas, new failures diagnostics):
-- :RenacerCompare BEFORE AFTER, or with no arguments the newest run and its previous one.
vim.api.nvim_create_user_command('RenacerCompare', function(opts)
  local c = client and vim.lsp.get_client_by_id(client)
  if not c then return end
  if #opts.fargs == 2 then
    local files = { vim.fn.fnamemodify(opts.fargs[1], ':p'), vim.fn.fnamemodify(opts.fargs[2], ':p') }
    c.request('workspace/executeCommand', { command = 'renacer.compareTraces', arguments = files }, function() end)
  else
    c.request('workspace/executeCommand', { command = 'renacer.compareWithPrevious', arguments = {} }, function() end)
  end
  vim.lsp.codelens.refresh()
end, { nargs = '*', complete = 'file' })
return client
