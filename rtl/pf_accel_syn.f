syn/pf_sram_sp.v
pf_sram_buffer.v
pf_pe_group.v
pf_pe_array.v
pf_dma.v
pf_ctrl.v
pf_accel.v
